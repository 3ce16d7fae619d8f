// Where the API lives. Locally: lbuild serve's API Gateway front; in AWS: your API's URL.
window.SHOP_API = window.SHOP_API || 'http://127.0.0.1:3000';
